using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ExchangeGateway.Common.Errors;

/// <summary>
/// The one list of error suffixes the gateway knows. X-Road's vocabulary (its <c>ErrorCodes</c> class,
/// spelled in snake_case) comes first so that integrators see familiar codes; the gateway's own
/// additions follow. Build codes from these entries with <see cref="ErrorCode.Client"/>,
/// <see cref="ErrorCode.ClientProxy"/>, <see cref="ErrorCode.ServerProxy"/> or <see cref="ErrorCode.Server"/>.
/// </summary>
/// <remarks>
/// The families allowed per entry record where the gateway raises the error; they are checked when a
/// code is built in code, not when a code is parsed from a peer (see <see cref="ErrorCode.TryParse"/>).
/// X-Road's signer, ASiC container and configuration-part codes are not listed: the gateway does not
/// raise them at its client-facing edge.
/// </remarks>
public static class ErrorCatalog
{
    private const ErrorFamilies All = ErrorFamilies.All;
    private const ErrorFamilies AnyServer = ErrorFamilies.AnyServer;
    private const ErrorFamilies Proxies = ErrorFamilies.Proxies;
    private const ErrorFamilies ClientOrProxies = ErrorFamilies.Client | ErrorFamilies.Proxies;

    // Generic failures.

    /// <summary>Reading or writing a stream failed.</summary>
    public static readonly ErrorCatalogEntry IoError = new("io_error", "Reading or writing a stream failed.", AnyServer);

    /// <summary>A connection to a peer could not be made or broke.</summary>
    public static readonly ErrorCatalogEntry NetworkError = new("network_error", "A connection to a peer could not be made or broke.", AnyServer);

    /// <summary>An unexpected failure inside the gateway; the detail id leads to the server log.</summary>
    public static readonly ErrorCatalogEntry InternalError = new("internal_error", "An unexpected failure inside the gateway; the detail id leads to the server log.", AnyServer);

    /// <summary>The request is malformed.</summary>
    public static readonly ErrorCatalogEntry BadRequest = new("bad_request", "The request is malformed.", All);

    /// <summary>The addressed resource does not exist.</summary>
    public static readonly ErrorCatalogEntry NotFound = new("not_found", "The addressed resource does not exist.", All);

    /// <summary>A peer answered with an unexpected HTTP status; usually a qualifier of <see cref="ServiceFailed"/>.</summary>
    public static readonly ErrorCatalogEntry HttpError = new("http_error", "A peer answered with an unexpected HTTP status.", AnyServer);

    /// <summary>The local database failed.</summary>
    public static readonly ErrorCatalogEntry DatabaseError = new("database_error", "The local database failed.", AnyServer);

    /// <summary>A response from a peer could not be understood.</summary>
    public static readonly ErrorCatalogEntry InvalidResponse = new("invalid_response", "A response from a peer could not be understood.", AnyServer);

    /// <summary>A request could not be understood.</summary>
    public static readonly ErrorCatalogEntry InvalidRequest = new("invalid_request", "A request could not be understood.", All);

    // Signatures, certificates and evidence.

    /// <summary>The message could not be signed.</summary>
    public static readonly ErrorCatalogEntry CannotCreateSignature = new("cannot_create_signature", "The message could not be signed.", AnyServer);

    /// <summary>A certificate failed validation.</summary>
    public static readonly ErrorCatalogEntry CertValidation = new("cert_validation", "A certificate failed validation.", AnyServer);

    /// <summary>Revocation information (OCSP response) for a certificate is missing.</summary>
    public static readonly ErrorCatalogEntry MissingValidationInfo = new("missing_validation_info", "Revocation information for a certificate is missing.", AnyServer);

    /// <summary>Revocation information does not belong to the certificate or is not acceptable.</summary>
    public static readonly ErrorCatalogEntry IncorrectValidationInfo = new("incorrect_validation_info", "Revocation information does not match the certificate or is not acceptable.", AnyServer);

    /// <summary>No chain could be built from a certificate to a trust anchor.</summary>
    public static readonly ErrorCatalogEntry CannotCreateCertPath = new("cannot_create_cert_path", "No chain could be built from the certificate to a trust anchor.", AnyServer);

    /// <summary>A certificate is outside its validity period.</summary>
    public static readonly ErrorCatalogEntry CertValidityTime = new("cert_validity_time", "A certificate is outside its validity period.", AnyServer);

    /// <summary>A certificate is unusable for its purpose or cannot be decoded.</summary>
    public static readonly ErrorCatalogEntry IncorrectCertificate = new("incorrect_certificate", "A certificate is unusable for its purpose or cannot be decoded.", All);

    /// <summary>An algorithm is not on the allow-list.</summary>
    public static readonly ErrorCatalogEntry UnsupportedAlgorithm = new("unsupported_algorithm", "An algorithm is not on the allow-list.", AnyServer);

    /// <summary>A signature value does not verify.</summary>
    public static readonly ErrorCatalogEntry InvalidSignatureValue = new("invalid_signature_value", "A signature value does not verify.", AnyServer);

    /// <summary>A signature structure cannot be decoded.</summary>
    public static readonly ErrorCatalogEntry MalformedSignature = new("malformed_signature", "A signature structure cannot be decoded.", AnyServer);

    /// <summary>XML is not well-formed or breaks the expected structure.</summary>
    public static readonly ErrorCatalogEntry InvalidXml = new("invalid_xml", "XML is not well-formed or breaks the expected structure.", All);

    /// <summary>A signed reference does not match the data it covers.</summary>
    public static readonly ErrorCatalogEntry InvalidReference = new("invalid_reference", "A signed reference does not match the data it covers.", AnyServer);

    /// <summary>A certificate chain is not valid.</summary>
    public static readonly ErrorCatalogEntry InvalidCertPath = new("invalid_cert_path", "A certificate chain is not valid.", AnyServer);

    /// <summary>Signature verification failed; may be qualified with the specific reason.</summary>
    public static readonly ErrorCatalogEntry SignatureVerification = new("signature_verification", "Signature verification failed.", AnyServer);

    /// <summary>A SOAP message cannot be parsed.</summary>
    public static readonly ErrorCatalogEntry MalformedSoap = new("malformed_soap", "A SOAP message cannot be parsed.", All);

    /// <summary>A time-stamp token does not verify.</summary>
    public static readonly ErrorCatalogEntry TimestampValidation = new("timestamp_validation", "A time-stamp token does not verify.", AnyServer);

    /// <summary>A hash chain result does not verify.</summary>
    public static readonly ErrorCatalogEntry InvalidHashChain = new("invalid_hash_chain", "A hash chain result does not verify.", AnyServer);

    /// <summary>A hash chain cannot be decoded.</summary>
    public static readonly ErrorCatalogEntry MalformedHashChain = new("malformed_hash_chain", "A hash chain cannot be decoded.", AnyServer);

    /// <summary>A hash chain has inputs that no step uses.</summary>
    public static readonly ErrorCatalogEntry HashChainUnusedInputs = new("hash_chain_unused_inputs", "A hash chain has inputs that no step uses.", AnyServer);

    /// <summary>A hash chain refers to data that is not there.</summary>
    public static readonly ErrorCatalogEntry InvalidHashChainRef = new("invalid_hash_chain_ref", "A hash chain refers to data that is not there.", AnyServer);

    // Message processing.

    /// <summary>TLS client authentication failed.</summary>
    public static readonly ErrorCatalogEntry SslAuthenticationFailed = new("ssl_authentication_failed", "TLS client authentication failed.", ClientOrProxies);

    /// <summary>The message could not be written to the message log.</summary>
    public static readonly ErrorCatalogEntry LoggingFailed = new("logging_failed", "The message could not be written to the message log.", AnyServer);

    /// <summary>The message could not be time-stamped.</summary>
    public static readonly ErrorCatalogEntry TimestampingFailed = new("timestamping_failed", "The message could not be time-stamped.", AnyServer);

    /// <summary>The Content-Type is missing or not acceptable.</summary>
    public static readonly ErrorCatalogEntry InvalidContentType = new("invalid_content_type", "The Content-Type is missing or not acceptable.", All);

    /// <summary>The SOAPAction header is not acceptable.</summary>
    public static readonly ErrorCatalogEntry InvalidSoapAction = new("invalid_soap_action", "The SOAPAction header is not acceptable.", ClientOrProxies);

    /// <summary>The HTTP method is not allowed here.</summary>
    public static readonly ErrorCatalogEntry InvalidHttpMethod = new("invalid_http_method", "The HTTP method is not allowed here.", ClientOrProxies);

    /// <summary>The message breaks the protocol.</summary>
    public static readonly ErrorCatalogEntry InvalidMessage = new("invalid_message", "The message breaks the protocol.", All);

    /// <summary>The named security server is unknown or does not serve the client.</summary>
    public static readonly ErrorCatalogEntry InvalidSecurityServer = new("invalid_security_server", "The named security server is unknown or does not serve the client.", ClientOrProxies);

    /// <summary>A multipart body cannot be parsed.</summary>
    public static readonly ErrorCatalogEntry MimeParsingFailed = new("mime_parsing_failed", "A multipart body cannot be parsed.", All);

    /// <summary>The SOAP header is missing.</summary>
    public static readonly ErrorCatalogEntry MissingHeader = new("missing_header", "The SOAP header is missing.", ClientOrProxies);

    /// <summary>A mandatory header field is missing.</summary>
    public static readonly ErrorCatalogEntry MissingHeaderField = new("missing_header_field", "A mandatory header field is missing.", ClientOrProxies);

    /// <summary>A header field that may appear once appears more than once.</summary>
    public static readonly ErrorCatalogEntry DuplicateHeaderField = new("duplicate_header_field", "A header field that may appear once appears more than once.", ClientOrProxies);

    /// <summary>The SOAP body is missing.</summary>
    public static readonly ErrorCatalogEntry MissingBody = new("missing_body", "The SOAP body is missing.", ClientOrProxies);

    /// <summary>The SOAP body does not match the service.</summary>
    public static readonly ErrorCatalogEntry InvalidBody = new("invalid_body", "The SOAP body does not match the service.", ClientOrProxies);

    /// <summary>Header fields contradict each other.</summary>
    public static readonly ErrorCatalogEntry InconsistentHeaders = new("inconsistent_headers", "Header fields contradict each other.", ClientOrProxies);

    /// <summary>The response does not match the request it answers.</summary>
    public static readonly ErrorCatalogEntry InconsistentResponse = new("inconsistent_response", "The response does not match the request it answers.", Proxies);

    /// <summary>A SOAP message was expected and none came.</summary>
    public static readonly ErrorCatalogEntry MissingSoap = new("missing_soap", "A SOAP message was expected and none came.", ClientOrProxies);

    /// <summary>The SOAP message breaks the protocol.</summary>
    public static readonly ErrorCatalogEntry InvalidSoap = new("invalid_soap", "The SOAP message breaks the protocol.", ClientOrProxies);

    /// <summary>A REST message was expected and none came.</summary>
    public static readonly ErrorCatalogEntry MissingRest = new("missing_rest", "A REST message was expected and none came.", ClientOrProxies);

    /// <summary>The REST message breaks the protocol.</summary>
    public static readonly ErrorCatalogEntry InvalidRest = new("invalid_rest", "The REST message breaks the protocol.", ClientOrProxies);

    /// <summary>The client may not call the service.</summary>
    public static readonly ErrorCatalogEntry AccessDenied = new("access_denied", "The client may not call the service.", Proxies);

    /// <summary>The service exists but is switched off.</summary>
    public static readonly ErrorCatalogEntry ServiceDisabled = new("service_disabled", "The service exists but is switched off.", Proxies);

    /// <summary>The provider's information system failed; usually qualified, e.g. <c>service_failed.http_error</c>.</summary>
    public static readonly ErrorCatalogEntry ServiceFailed = new("service_failed", "The provider's information system failed.", Proxies);

    /// <summary>A message that must be signed carries no signature.</summary>
    public static readonly ErrorCatalogEntry MissingSignature = new("missing_signature", "A message that must be signed carries no signature.", Proxies);

    /// <summary>The service is not known to the provider's security server.</summary>
    public static readonly ErrorCatalogEntry UnknownService = new("unknown_service", "The service is not known to the provider's security server.", ClientOrProxies);

    /// <summary>The protocol version is missing or unsupported.</summary>
    public static readonly ErrorCatalogEntry InvalidProtocolVersion = new("invalid_protocol_version", "The protocol version is missing or unsupported.", ClientOrProxies);

    /// <summary>The client identifier does not name a client of this security server.</summary>
    public static readonly ErrorCatalogEntry InvalidClientIdentifier = new("invalid_client_identifier", "The client identifier does not name a client of this security server.", ClientOrProxies);

    /// <summary>The consumer's security server speaks a version the provider's no longer accepts.</summary>
    public static readonly ErrorCatalogEntry ClientProxyVersionNotSupported = new("client_proxy_version_not_supported", "The consumer's security server speaks a version the provider's no longer accepts.", ErrorFamilies.ServerServerProxy);

    // Configuration.

    /// <summary>The member is not in the global configuration.</summary>
    public static readonly ErrorCatalogEntry UnknownMember = new("unknown_member", "The member is not in the global configuration.", ClientOrProxies);

    /// <summary>The server configuration cannot be read.</summary>
    public static readonly ErrorCatalogEntry MalformedServerConf = new("malformed_server_conf", "The server configuration cannot be read.", AnyServer);

    /// <summary>The global configuration cannot be read.</summary>
    public static readonly ErrorCatalogEntry MalformedGlobalConf = new("malformed_global_conf", "The global configuration cannot be read.", AnyServer);

    /// <summary>The global configuration has expired.</summary>
    public static readonly ErrorCatalogEntry OutdatedGlobalConf = new("outdated_global_conf", "The global configuration has expired.", AnyServer);

    /// <summary>The service has no URL configured.</summary>
    public static readonly ErrorCatalogEntry ServiceMissingUrl = new("service_missing_url", "The service has no URL configured.", ErrorFamilies.ServerServerProxy | ErrorFamilies.Server);

    /// <summary>The service URL is not a valid URL.</summary>
    public static readonly ErrorCatalogEntry ServiceMalformedUrl = new("service_malformed_url", "The service URL is not a valid URL.", ErrorFamilies.ServerServerProxy | ErrorFamilies.Server);

    /// <summary>The WSDL of the adapter cannot be found.</summary>
    public static readonly ErrorCatalogEntry AdapterWsdlNotFound = new("adapter_wsdl_not_found", "The WSDL of the adapter cannot be found.", AnyServer);

    /// <summary>The hardware security module does not work.</summary>
    public static readonly ErrorCatalogEntry HsmNonOperational = new("hsm_non_operational", "The hardware security module does not work.", AnyServer);

    /// <summary>The security server is in maintenance mode.</summary>
    public static readonly ErrorCatalogEntry MaintenanceMode = new("maintenance_mode", "The security server is in maintenance mode.", Proxies);

    // Message log.

    /// <summary>The time-stamping authority failed.</summary>
    public static readonly ErrorCatalogEntry TimestamperFailed = new("timestamper_failed", "The time-stamping authority failed.", AnyServer);

    // The gateway's own additions.

    /// <summary>An identifier breaks the strict character set or the part structure.</summary>
    public static readonly ErrorCatalogEntry InvalidIdentifier = new("invalid_identifier", "An identifier breaks the strict character set or the part structure.", ClientOrProxies);

    /// <summary>A message id was already used by this client.</summary>
    public static readonly ErrorCatalogEntry DuplicateMessageId = new("duplicate_message_id", "A message id was already used by this client.", ClientOrProxies);

    /// <summary>An identifier's <c>id:objectType</c> is missing, unknown, or does not fit the identifier.</summary>
    public static readonly ErrorCatalogEntry InvalidObjectType = new("invalid_object_type", "An identifier's objectType is missing, unknown, or does not fit the identifier.", ClientOrProxies);

    /// <summary>The request exceeds a configured size limit.</summary>
    public static readonly ErrorCatalogEntry RequestTooLarge = new("request_too_large", "The request exceeds a configured size limit.", ClientOrProxies);

    /// <summary>A REST call addressed a SOAP service or the other way round.</summary>
    public static readonly ErrorCatalogEntry WrongServiceType = new("wrong_service_type", "A REST call addressed a SOAP service or the other way round.", ClientOrProxies);

    // Declared after every entry: static initialisers run in textual order.
    /// <summary>The key token is logged out or locked out: nothing can be signed until an operator logs in.</summary>
    public static readonly ErrorCatalogEntry TokenNotActive = new("token_not_active", "The key token is logged out or locked out: nothing can be signed.", AnyServer);

    private static readonly FrozenDictionary<string, ErrorCatalogEntry> BySuffix = new[]
    {
        IoError, NetworkError, InternalError, BadRequest, NotFound, HttpError, DatabaseError, InvalidResponse,
        InvalidRequest, CannotCreateSignature, CertValidation, MissingValidationInfo, IncorrectValidationInfo,
        CannotCreateCertPath, CertValidityTime, IncorrectCertificate, UnsupportedAlgorithm, InvalidSignatureValue,
        MalformedSignature, InvalidXml, InvalidReference, InvalidCertPath, SignatureVerification, MalformedSoap,
        TimestampValidation, InvalidHashChain, MalformedHashChain, HashChainUnusedInputs, InvalidHashChainRef,
        SslAuthenticationFailed, LoggingFailed, TimestampingFailed, InvalidContentType, InvalidSoapAction,
        InvalidHttpMethod, InvalidMessage, InvalidSecurityServer, MimeParsingFailed, MissingHeader,
        MissingHeaderField, DuplicateHeaderField, MissingBody, InvalidBody, InconsistentHeaders,
        InconsistentResponse, MissingSoap, InvalidSoap, MissingRest, InvalidRest, AccessDenied, ServiceDisabled,
        ServiceFailed, MissingSignature, UnknownService, InvalidProtocolVersion, InvalidClientIdentifier,
        ClientProxyVersionNotSupported, UnknownMember, MalformedServerConf, MalformedGlobalConf,
        OutdatedGlobalConf, ServiceMissingUrl, ServiceMalformedUrl, AdapterWsdlNotFound, HsmNonOperational,
        MaintenanceMode, TimestamperFailed, InvalidIdentifier, DuplicateMessageId, InvalidObjectType,
        RequestTooLarge, WrongServiceType, TokenNotActive,
    }.ToDictionary(e => e.Suffix, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every catalogue entry.</summary>
    public static IReadOnlyCollection<ErrorCatalogEntry> Entries => BySuffix.Values;

    /// <summary>Looks up an entry by its snake_case suffix (one segment, ordinal).</summary>
    public static bool TryGet(string suffix, [NotNullWhen(true)] out ErrorCatalogEntry? entry) =>
        BySuffix.TryGetValue(suffix, out entry);

    /// <summary>
    /// True when every segment of the code's suffix is catalogued and the first segment may appear in the
    /// code's family. Codes parsed from peers may be valid yet unknown here.
    /// </summary>
    public static bool IsKnown(ErrorCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var first = true;
        foreach (var range in code.Suffix.AsSpan().Split('.'))
        {
            var segment = code.Suffix[range];
            if (!BySuffix.TryGetValue(segment, out var entry))
            {
                return false;
            }

            if (first && !entry.AllowsFamily(code.Family))
            {
                return false;
            }

            first = false;
        }

        return true;
    }

    internal static ErrorFamilies FlagOf(ErrorFamily family) => family switch
    {
        ErrorFamily.Client => ErrorFamilies.Client,
        ErrorFamily.ServerClientProxy => ErrorFamilies.ServerClientProxy,
        ErrorFamily.ServerServerProxy => ErrorFamilies.ServerServerProxy,
        ErrorFamily.Server => ErrorFamilies.Server,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown error family."),
    };
}
