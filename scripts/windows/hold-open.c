/* For scripts/windows-check.sh only: holds a file open with no sharing, as a program that
 * has a document open does (Excel, say), for the given seconds, so the check can see what a
 * download that would replace it says. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3) {
        fwprintf(stderr, L"usage: hold-open FILE SECONDS\n");
        return 2;
    }
    HANDLE file = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        fwprintf(stderr, L"could not open the file: error %lu\n", GetLastError());
        return 1;
    }
    wprintf(L"holding\n");
    fflush(stdout);
    Sleep((DWORD)_wtoi(argv[2]) * 1000);
    CloseHandle(file);
    return 0;
}
