namespace ExchangeGateway.SecurityServer.Backup;

/// <summary>The stable codes of backup failures and their HTTP statuses (the admin API maps them in one place, here).</summary>
public static class BackupErrors
{
    /// <summary>The signature over the manifest does not verify, its signer does not chain to an approved CA of the current global configuration, or it does not name the server's owner.</summary>
    public const string InvalidSignature = "backup.invalid_signature";

    /// <summary>A file differs from the manifest (size or SHA-256), is missing, or is not listed; the message names the first.</summary>
    public const string Tampered = "backup.tampered";

    /// <summary>The backup belongs to another instance than this server's anchor.</summary>
    public const string WrongInstance = "backup.wrong_instance";

    /// <summary>A backup is signed with the owner's key: the token must be logged in.</summary>
    public const string TokenNotActive = "backup.token_not_active";

    /// <summary>The file is not a backup: not a tar, no manifest, a manifest that breaks the format, an entry that is not a plain file.</summary>
    public const string Malformed = "backup.malformed";

    /// <summary>No backup has this name.</summary>
    public const string NotFound = "backup.not_found";

    /// <summary>The server has no local configuration yet, so there is nothing to back up.</summary>
    public const string NotInitialised = "backup.not_initialised";

    /// <summary>The owner has no active registered signing certificate in the token to sign the backup with.</summary>
    public const string NoSigningCertificate = "backup.no_signing_certificate";

    /// <summary>No valid global configuration is at hand to verify the backup's signer against.</summary>
    public const string NoGlobalConfiguration = "backup.no_global_configuration";

    /// <summary>The backup body is larger than <see cref="BackupOptions.MaxBackupBytes"/>.</summary>
    public const string TooLarge = "backup.too_large";

    /// <summary>Files could not be read or written; nothing changed.</summary>
    public const string WriteFailed = "backup.write_failed";

    /// <summary>The HTTP status of <paramref name="code"/>.</summary>
    public static int Status(string code) => code switch
    {
        InvalidSignature or Tampered or WrongInstance or Malformed => StatusCodes.Status422UnprocessableEntity,
        TokenNotActive or NotInitialised or NoSigningCertificate => StatusCodes.Status409Conflict,
        NotFound => StatusCodes.Status404NotFound,
        NoGlobalConfiguration => StatusCodes.Status503ServiceUnavailable,
        TooLarge => StatusCodes.Status413PayloadTooLarge,
        WriteFailed => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status500InternalServerError,
    };
}
