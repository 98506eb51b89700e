; The PresignDesk setup program for Windows, made by makensis (packaging/build.sh runs it).
; Installs for the current user only, with no administrator rights: the programs under
; %LOCALAPPDATA%\Programs\PresignDesk, a Start-menu entry, and an entry in Installed apps whose
; Uninstall removes it all but the user's settings (%APPDATA%\PresignDesk). It registers no
; file type and no "Open with" entry: presigned links are https links, which belong to the
; browser, and files are chosen in the window.
;
;   makensis -DVERSION=0.1.0 -DSOURCE=<folder with the .exe files> -DOUTFILE=<setup.exe> installer.nsi
;
; Silent install and uninstall, as the checks use them: setup.exe /S, and
; "%LOCALAPPDATA%\Programs\PresignDesk\uninstall.exe" /S.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is not defined"
!endif
!ifndef SOURCE
  !error "SOURCE is not defined"
!endif
!ifndef OUTFILE
  !define OUTFILE "PresignDesk-${VERSION}-setup.exe"
!endif

!define APP "PresignDesk"
!define PUBLISHER "The PresignDesk developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PresignDesk"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "2026, ${PUBLISHER}"

!include "MUI2.nsh"
!define MUI_ICON "${SOURCE}\presign-desk.ico"
!define MUI_UNICON "${SOURCE}\presign-desk.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\presign-desk.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${SOURCE}\LICENSE.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Japanese"

LangString ShortcutName ${LANG_ENGLISH} "${APP}"
LangString ShortcutName ${LANG_JAPANESE} "${APP}"

Function .onInit
  ; The installer speaks the system's language (Japanese or English).
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "PresignDesk" Main
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SOURCE}\presign-desk.exe"
  File "${SOURCE}\presign-desk-cli.exe"
  File "${SOURCE}\presign-desk.ico"
  File "${SOURCE}\LICENSE.txt"
  File "${SOURCE}\README.txt"
  SetOutPath "$INSTDIR\completions"
  File "${SOURCE}\completions\presign-desk.ps1"
  SetOutPath "$INSTDIR"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\presign-desk.exe" "" "$INSTDIR\presign-desk.ico" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\presign-desk.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "URLInfoAbout" "https://github.com/presigndesk/PresignDesk"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  SectionGetSize ${Main} $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$INSTDIR\presign-desk.exe"
  Delete "$INSTDIR\presign-desk-cli.exe"
  Delete "$INSTDIR\presign-desk.ico"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\completions\presign-desk.ps1"
  RMDir "$INSTDIR\completions"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; The user's settings (%APPDATA%\PresignDesk) are theirs: kept.
SectionEnd
