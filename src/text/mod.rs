//! Every text a person reads, in per-language catalogues keyed by stable ids.
//!
//! [`T`] names the interface texts; [`errors`] what each server error code means. The texts
//! themselves live in `lang/<code>.toml`, one file per language, so the UI and the CLI never
//! hold user-facing literals: they name a [`T`] and fill its `{placeholders}`. Which language
//! comes out is [`language::current`]: the process's choice, or the calling thread's own.

mod catalogue;
pub mod errors;
pub mod language;

pub use language::{Language, with_language};

macro_rules! ids {
    ($($id:ident,)*) => {
        /// The id of a user-facing text; its key in the catalogues is its name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum T { $(#[allow(missing_docs)] $id,)* }

        impl T {
            /// Every id, for checks over the whole catalogue.
            pub const ALL: &'static [T] = &[$(T::$id,)*];

            /// The id's key in the catalogue files.
            pub fn key(self) -> &'static str {
                match self { $(T::$id => stringify!($id),)* }
            }
        }
    };
}

ids! {
    SpanDaysHours,
    SpanHoursMinutes,
    SpanMinutesSeconds,
    SpanMinutes,
    SpanSeconds,
    SpanHours,
    SpanDays,
    SpanUnderMinute,
    DurationMillis,
    DurationSeconds,
    DateTimePattern,
    DateTimeZone,
    ZoneJapan,
    LabelValue,
    Heading,
    AppTitle,
    LanguageLabel,
    ThemeLabel,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    DetailsToggle,
    DetailsTitle,
    CloseWhileRunningTitle,
    CloseWhileRunning,
    CloseAnyway,
    KeepRunning,
    LinkLabel,
    LinkHint,
    PasteLink,
    PasteNoText,
    LinkEmpty,
    PurposeUpload,
    PurposeDownload,
    PurposeUnknown,
    PurposeForm,
    ConditionEq,
    ConditionAny,
    ConditionStartsWith,
    ConditionSize,
    ConditionUncovered,
    FormFields,
    FormConditions,
    FormNoPolicy,
    FormSection,
    FormCheckReason,
    ValidFor,
    ValidForTemporary,
    ExpiredSince,
    NoExpiry,
    ExpiresIn,
    ExpiredAgo,
    ExpiredButtonReason,
    CannotWorkButtonReason,
    SendAnyway,
    ErrEmpty,
    ErrNotHttp,
    ErrNoHost,
    ErrBrokenInside,
    ErrSeveralLinks,
    ErrFormUnreadable,
    ErrFormNoAddress,
    ChooseOperation,
    OperationOverride,
    ModeUpload,
    ModeDownload,
    ChooseFile,
    DropZoneEmpty,
    DropZoneAgain,
    FilePathLabel,
    FileHint,
    NoFileChosen,
    DropHere,
    NoDialog,
    NoFolderDialog,
    FileMissing,
    FileIsFolder,
    FileTypeSent,
    FileTypeSentNone,
    FileTypeFixed,
    FileTypeFixedLegacy,
    FileTypeLabel,
    SendNoContentType,
    SignedHeadersTitle,
    HeaderAcl,
    HeaderEncryption,
    HeaderEncryptionKey,
    HeaderStorageClass,
    HeaderDisposition,
    HeaderCacheControl,
    HeaderEncoding,
    HeaderLanguage,
    HeaderTags,
    HeaderMd5,
    HeaderChecksumAlgorithm,
    HeaderMetadata,
    HeaderChecksum,
    FilledMd5,
    FilledChecksum,
    FilledAlgorithm,
    FilledAlgorithmAssumed,
    HeaderMissingReason,
    CliHelpHeader,
    CliHeaderMissing,
    CliBadHeader,
    FolderLabel,
    FileNameLabel,
    ChooseFolder,
    NoFileName,
    Checking,
    FolderMissing,
    DestinationExists,
    Replace,
    KeepBoth,
    WillReplace,
    Upload,
    Download,
    UploadNamed,
    DownloadNamed,
    Cancel,
    Cancelling,
    TryAgain,
    UploadAnother,
    OpenFile,
    ShowInFolder,
    StoredAs,
    FileSetAside,
    ProgressKnown,
    ProgressKnownStarting,
    ProgressUnknown,
    ProgressUnknownStarting,
    Retrying,
    AttemptNumber,
    RetryRefused,
    PartialLeft,
    UploadedNamed,
    DownloadedNamed,
    ConfirmedUpload,
    ConfirmedDownload,
    SavedTo,
    TransferFailed,
    CancelledUpload,
    CancelledDownload,
    WhatToDo,
    WhatToAsk,
    WhatToAskOperator,
    CopyForCreator,
    CopyForOperator,
    ShowServerAnswer,
    Copied,
    CopiedSecret,
    LinkSection,
    FindingsTitle,
    CopySummary,
    FieldScheme,
    FieldProvider,
    FieldHost,
    FieldAddressing,
    FieldBucket,
    FieldKey,
    FieldRegion,
    FieldOperation,
    FieldSignedAt,
    FieldExpiresAt,
    FieldTimeLeft,
    FieldAccessKey,
    FieldCredentials,
    FieldToken,
    FieldSignedHeaders,
    FieldKeyExpires,
    FieldPermissions,
    FieldChecksums,
    FieldPart,
    FieldOverrides,
    SchemeAwsV4,
    SchemeAwsV2,
    SchemeGcsV4,
    SchemeGcsV2,
    SchemeAzure,
    SchemeNone,
    ProviderAws,
    ProviderS3Compatible,
    ProviderGcs,
    ProviderAzure,
    ProviderUnknown,
    AddressingVirtual,
    AddressingPath,
    TokenPresent,
    TokenAbsent,
    CredLongTerm,
    CredTemporary,
    CredUnknown,
    None_,
    RequestSection,
    RequestNotReady,
    BodyFrom,
    CopyRequest,
    CopyAsCurl,
    AnswerSection,
    ServerRefused,
    OtherCauses,
    ErrorDetails,
    RawBody,
    AnswerCut,
    BodyEmpty,
    CopyDetails,
    Status,
    ContentTypeLabel,
    ETag,
    ContentLength,
    RequestId,
    HostId,
    VersionId,
    ServerDate,
    Location,
    ObjectAddress,
    FormRedirected,
    ServerMessage,
    BodyCode,
    HistorySection,
    HistoryEmpty,
    HistoryRow,
    HistoryUseAgain,
    HistorySucceeded,
    HistoryVerified,
    HistoryRefused,
    HistoryFailed,
    HistoryCancelled,
    SettingsTitle,
    SettingsAttempts,
    SettingsStall,
    SettingsVerify,
    SettingsConnections,
    ConnectionsUsed,
    ConnectionsOneFastest,
    ConnectionsStoppedGrowing,
    ConnectionsMaximum,
    ConnectionsServerSlowDown,
    ConnectionsRateFell,
    ConnectionsLinkExpiring,
    ConnectionsEndedWhileMeasuring,
    ConnectionsTooShort,
    ConnectionsCountOne,
    ConnectionsCountMany,
    OneStreamRangesIgnored,
    OneStreamObjectChanged,
    SettingsSaveFailed,
    SettingsBroken,
    SettingsBrokenKept,
    SettingsValueUnreadable,
    SettingsDefaultWord,
    SettingsNotAnObject,
    SettingsNotReplaced,
    FindExpired,
    FindNotYetValid,
    FindExpiryTooLong,
    FindTemporaryCredentials,
    FindLegacySignature,
    FindContentTypeSigned,
    FindSignedHeaders,
    FindSdkChecksum,
    FindSdkChecksumEmpty,
    FindPlainHttp,
    FindPlainHttpLocal,
    FindRegionMismatch,
    FindGlobalEndpoint,
    FindDottedBucketTls,
    FindRepairedPaste,
    FindMissingParameters,
    FindNotPresigned,
    FindOperationHint,
    FindMultipartPart,
    FindAzureBlobType,
    FindAzurePermissions,
    FindClockAhead,
    FindClockBehind,
    FindUrlAltered,
    OperationUpload,
    OperationDownload,
    RepairWhitespace,
    RepairQuotes,
    RepairBrackets,
    RepairBreaks,
    RepairAmp,
    RepairTextAround,
    RepairQuotedPrintable,
    RepairMailQuoting,
    SeverityError,
    SeverityWarning,
    SeverityInfo,
    CauseSignerClockZone,
    CauseStrengthLine,
    TitleLikely,
    TitlePossible,
    BasisServerSaid,
    BasisServerEcho,
    BasisLink,
    BasisProbe,
    BasisLocal,
    ChangeEncodedTwice,
    ChangeDecoded,
    ChangeAdded,
    ChangeDropped,
    ChangeCase,
    ChangePlusAsSpace,
    ChangeOther,
    ParamChange,
    NotSentNone,
    ConditionExact,
    ConditionPrefix,
    ConditionPresent,
    ConditionSizeRange,
    TypeExact,
    TypePrefix,
    StrengthProven,
    StrengthLikely,
    StrengthPossible,
    VerbUpload,
    VerbDownload,
    FixWithoutContentType,
    FixWithContentType,
    FixCliWithoutContentType,
    FixCliWithContentType,
    CreatorMessage,
    OperatorMessage,
    ErrReadFile,
    ErrFileChanged,
    ErrWriteFile,
    ErrDestinationExists,
    ErrFileInUse,
    ErrConnect,
    ErrNetwork,
    ErrTruncated,
    ErrCannotSendUnchanged,
    ErrInvalidHeader,
    ErrStalled,
    ErrTooLarge,
    ErrChecksumMismatch,
    ErrDigestMismatch,
    ErrNoSpace,
    Verified,
    CouldNotVerify,
    VerificationOff,
    Md5Matches,
    NotMd5Encrypted,
    NotMd5Multipart,
    NotMd5Other,
    NoDigest,
    CliUploading,
    CliDownloading,
    CliUploaded,
    CliDownloaded,
    CliRefused,
    CliFailed,
    CliCancelled,
    CliBadLink,
    CliNoFile,
    CliOutputExists,
    CliNoBody,
    CliBadNow,
    CliGuiFailed,
    CliHelpAbout,
    CliHelpGui,
    CliHelpPut,
    CliHelpGet,
    CliHelpExplain,
    CliHelpInspect,
    CliHelpCheck,
    CheckUploadInspectedOnly,
    CheckOk,
    CheckLinkButton,
    CheckLinkHint,
    CheckValidFor,
    NotCompleted,
    CliHelpUsage,
    CliHelpCommands,
    CliHelpArguments,
    CliHelpOptions,
    CliHelpHelp,
    CliHelpVersion,
    CliHelpLang,
    CliHelpGuiUrl,
    CliHelpGuiFile,
    CliHelpLink,
    CliHelpLinkOrForm,
    CliHelpPutFile,
    CliHelpContentType,
    CliHelpNoContentType,
    CliHelpSendDespite,
    CliHelpSendAnyway,
    CliHelpCurl,
    CliCurlKeepsSecret,
    CliHelpAttempts,
    CliHelpStall,
    CliHelpNoVerify,
    CliHelpConnections,
    CliHelpOutput,
    CliHelpOverwrite,
    CliHelpExplainFile,
    CliHelpExplainUrl,
    CliHelpMethod,
    CliHelpSentType,
    CliHelpStatus,
    CliHelpJson,
    CliHelpNow,
    CliHelpCompletions,
    CliHelpShell,
    CliHelpManPages,
    CliHelpManDir,
    CliManPagesFailed,
    ManManual,
    ManExitHeading,
    ManExitCodes,
    ManFilesHeading,
    ManFiles,
    ManEnvironmentHeading,
    ManEnvironment,
    ManSeeAlsoHeading,
    CliRuntimeFailed,
}

/// The text of `id` in the current language (English when that language lacks it).
pub fn tr(id: T) -> &'static str {
    catalogue::text(language::current(), id)
}

/// The text of `id` with each `{name}` replaced by its value.
pub fn fill(id: T, values: &[(&str, &str)]) -> String {
    fill_text(tr(id), values)
}

/// `Label: value` (or `ラベル：値`) for a line of its own.
pub fn label_value(label: T, value: &str) -> String {
    fill(T::LabelValue, &[("label", tr(label)), ("value", value)])
}

/// `Label:` before a list.
pub fn heading(label: T) -> String {
    fill(T::Heading, &[("label", tr(label))])
}

/// `text` with each `{name}` replaced by its value, in one pass: a value that itself holds
/// `{…}` (a server's message, a file name) is never expanded.
pub fn fill_text(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        });
        match value {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_each_placeholder_in_the_chosen_language() {
        let values = [("status", "403"), ("code", "AccessDenied")];
        assert_eq!(
            with_language(Language::ENGLISH, || fill(T::ServerRefused, &values)),
            "The server refused: HTTP 403 AccessDenied"
        );
        let japanese = with_language(Language::JAPANESE, || fill(T::ServerRefused, &values));
        assert!(japanese.contains("403") && japanese.contains("AccessDenied"));
        assert_ne!(japanese, "The server refused: HTTP 403 AccessDenied");
    }

    #[test]
    fn values_are_never_expanded_again() {
        assert_eq!(
            fill_text("{a} and {b} {unknown} {", &[("a", "{b}"), ("b", "x{a}")]),
            "{b} and x{a} {unknown} {"
        );
        assert_eq!(fill_text("{}{a}", &[("a", "1")]), "{}1");
    }
}
