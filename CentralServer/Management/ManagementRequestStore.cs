using ExchangeGateway.Config.Management;
using ExchangeGateway.CentralServer.Audit;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.CentralServer.Storage;
using ExchangeGateway.Common.Identifiers;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.CentralServer.Management;

/// <summary>
/// Management requests in the registry database (<c>management_request</c>). Receiving stores a verified
/// request as pending with its audit entry in one transaction; approval applies the change through
/// <see cref="Registry.Change{T}"/> and marks the request approved in that same transaction, so the
/// registry and the request's state never disagree. Rejection and revocation change no registry data and
/// do not bump the registry version.
/// </summary>
internal sealed class ManagementRequestStore
{
    private const string Columns = "id, type, state, server_id, client_id, address, auth_cert_hash, owner_signer, created_at, received_at, decided_at, decided_by, new_owner";

    private readonly RegistryDatabase _db;
    private readonly Registry _registry;
    private readonly TimeProvider _time;

    public ManagementRequestStore(RegistryDatabase db, Registry registry, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        _db = db;
        _registry = registry;
        _time = time;
    }

    /// <summary>Stores a verified request as pending; a request id seen before is <c>management.duplicate_request</c>.</summary>
    internal Result<ManagementRequest> Receive(VerifiedManagementRequest verified, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(verified);
        var content = verified.Content;
        return _db.Write(
            (c, tx) =>
            {
                if (Sql.Exists(c, tx, "SELECT 1 FROM management_request WHERE id = $id;", ("$id", content.RequestId)))
                {
                    return Result<ManagementRequest>.Fail(new Failure(FailureKind.ManagementDuplicateRequest, $"Request {content.RequestId} was already received."));
                }

                Sql.Execute(
                    c,
                    tx,
                    """
                    INSERT INTO management_request (id, type, state, server_id, client_id, address, auth_cert, auth_cert_hash, owner_signer,
                        created_at, received_at, request, owner_signature, auth_signature, new_owner)
                    VALUES ($id, $type, $state, $server, $client, $address, $cert, $hash, $signer, $created, $received, $request, $ownerSig, $authSig, $newOwner);
                    """,
                    ("$id", content.RequestId),
                    ("$type", ManagementNames.Name(content.Type)),
                    ("$state", ManagementNames.Name(ManagementRequestState.Pending)),
                    ("$server", content.ServerId.ToString()),
                    ("$client", content.ClientId?.ToString()),
                    ("$address", content.Address),
                    ("$cert", content.AuthCertificate),
                    ("$hash", content.AuthCertificateHash),
                    ("$signer", verified.OwnerSigner),
                    ("$created", Sql.Time(content.CreatedAt)),
                    ("$received", Sql.Time(_time.GetUtcNow())),
                    ("$request", verified.Request),
                    ("$ownerSig", verified.OwnerSignature),
                    ("$authSig", verified.AuthSignature),
                    ("$newOwner", content.NewOwner?.ToString()));
                AuditLog.Append(c, tx, _time, actor, "management-request.receive", Target(content.RequestId, content.ServerId), AuditEntry.Success, ManagementNames.Name(content.Type), null);
                return Result<ManagementRequest>.Ok(Load(c, tx, content.RequestId)!);
            },
            static r => r.Success);
    }

    /// <summary>Requests, oldest first, optionally only those in <paramref name="state"/>.</summary>
    internal IReadOnlyList<ManagementRequest> List(ManagementRequestState? state) =>
        _db.Read((c, tx) => state is null
            ? Sql.Query(c, tx, $"SELECT {Columns} FROM management_request ORDER BY received_at, id;", Map)
            : Sql.Query(c, tx, $"SELECT {Columns} FROM management_request WHERE state = $state ORDER BY received_at, id;", Map, ("$state", ManagementNames.Name(state.Value))));

    /// <summary>One request, or null.</summary>
    internal ManagementRequest? Get(string id) => _db.Read((c, tx) => Load(c, tx, id));

    /// <summary>
    /// Applies a pending request to the registry and marks it approved, in one registry transaction. When
    /// the registry refuses the change (e.g. the owner is not a member) everything rolls back: the request
    /// stays pending and the refusal is returned.
    /// </summary>
    internal Result<ManagementRequest> Approve(string id, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _registry.Change<ManagementRequest>(actor, "management-request.approve", id, editor =>
        {
            var c = editor.Connection;
            var tx = editor.Transaction;
            var request = Load(c, tx, id);
            if (request is null)
            {
                return Failure.NotFound($"Management request {id} does not exist.");
            }

            if (request.State != ManagementRequestState.Pending)
            {
                return Failure.Conflict($"Management request {id} is {ManagementNames.Name(request.State)}; only a pending request can be approved.");
            }

            var applied = Apply(editor, request);
            if (applied is not null)
            {
                return applied;
            }

            SetState(c, tx, id, ManagementRequestState.Approved, actor);
            return Load(c, tx, id)!;
        });
    }

    /// <summary>Rejects a pending request.</summary>
    internal Result<ManagementRequest> Reject(string id, Actor actor) =>
        Transition(id, actor, "management-request.reject", ManagementRequestState.Rejected, [ManagementRequestState.Pending]);

    /// <summary>Withdraws a pending or approved request; an approved change stays in the registry.</summary>
    internal Result<ManagementRequest> Revoke(string id, Actor actor) =>
        Transition(id, actor, "management-request.revoke", ManagementRequestState.Revoked, [ManagementRequestState.Pending, ManagementRequestState.Approved]);

    private static Failure? Apply(RegistryEditor editor, ManagementRequest request)
    {
        switch (request.Type)
        {
            case ManagementRequestType.AuthCertRegistration:
                if (editor.Reader.SecurityServer(request.ServerId) is null)
                {
                    var created = editor.AddSecurityServer(request.ServerId, request.Address!);
                    if (!created.Success)
                    {
                        return created.Failure;
                    }
                }

                return editor.AddAuthenticationCertificate(request.ServerId, request.AuthCertificateHash!).Failure;

            case ManagementRequestType.ClientRegistration:
                var subsystem = request.ClientId!.AsSubsystem();
                if (subsystem is null || editor.Reader.Subsystem(subsystem) is null)
                {
                    return Failure.InvalidReference($"{request.ClientId} is not a registered subsystem.");
                }

                return editor.AddClient(request.ServerId, request.ClientId).Failure;

            case ManagementRequestType.ClientDeletion:
                return editor.RemoveClient(request.ServerId, request.ClientId!).Failure;

            case ManagementRequestType.AddressChange:
                return editor.UpdateSecurityServer(request.ServerId, request.Address!).Failure;

            case ManagementRequestType.AuthCertDeletion:
                return editor.RemoveAuthenticationCertificate(request.ServerId, request.AuthCertificateHash!).Failure;

            case ManagementRequestType.ClientDisable:
                return editor.SetClientDisabled(request.ServerId, request.ClientId!, disabled: true).Failure;

            case ManagementRequestType.ClientEnable:
                return editor.SetClientDisabled(request.ServerId, request.ClientId!, disabled: false).Failure;

            case ManagementRequestType.OwnerChange:
                return editor.ChangeOwner(request.ServerId, request.NewOwner!).Failure;

            default:
                throw new InvalidOperationException($"Unknown management request type {request.Type}.");
        }
    }

    private Result<ManagementRequest> Transition(string id, Actor actor, string action, ManagementRequestState to, ManagementRequestState[] from)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var result = _db.Write(
            (c, tx) =>
            {
                var request = Load(c, tx, id);
                if (request is null)
                {
                    return Result<ManagementRequest>.Fail(Failure.NotFound($"Management request {id} does not exist."));
                }

                if (!from.Contains(request.State))
                {
                    return Result<ManagementRequest>.Fail(Failure.Conflict(
                        $"Management request {id} is {ManagementNames.Name(request.State)}; it cannot become {ManagementNames.Name(to)}."));
                }

                SetState(c, tx, id, to, actor);
                AuditLog.Append(c, tx, _time, actor, action, id, AuditEntry.Success, null, null);
                return Result<ManagementRequest>.Ok(Load(c, tx, id)!);
            },
            static r => r.Success);
        if (!result.Success)
        {
            _db.Write(
                (c, tx) =>
                {
                    AuditLog.Append(c, tx, _time, actor, action, id, result.Failure.Code, result.Failure.Message, null);
                    return true;
                },
                static _ => true);
        }

        return result;
    }

    private void SetState(SqliteConnection c, SqliteTransaction tx, string id, ManagementRequestState state, Actor actor) =>
        Sql.Execute(
            c,
            tx,
            "UPDATE management_request SET state = $state, decided_at = $at, decided_by = $by WHERE id = $id;",
            ("$state", ManagementNames.Name(state)),
            ("$at", Sql.Time(_time.GetUtcNow())),
            ("$by", actor.Name),
            ("$id", id));

    private static ManagementRequest? Load(SqliteConnection c, SqliteTransaction tx, string id) =>
        Sql.Query(c, tx, $"SELECT {Columns} FROM management_request WHERE id = $id;", Map, ("$id", id)).SingleOrDefault();

    private static ManagementRequest Map(SqliteDataReader r)
    {
        if (!ManagementNames.TryParseType(r.GetString(1), out var type) || !ManagementNames.TryParseState(r.GetString(2), out var state))
        {
            throw new InvalidOperationException($"Management request {r.GetString(0)} has an unknown type or state in the database.");
        }

        var client = Sql.NullableString(r, 4);
        return new ManagementRequest(
            r.GetString(0),
            type.Value,
            state.Value,
            SecurityServerId.Parse(r.GetString(3)),
            client is null ? null : ClientId.Parse(client),
            Sql.NullableString(r, 5),
            Sql.NullableString(r, 6),
            r.GetString(7),
            Sql.ParseTime(r.GetString(8)),
            Sql.ParseTime(r.GetString(9)),
            Sql.NullableString(r, 10) is { } decided ? Sql.ParseTime(decided) : null,
            Sql.NullableString(r, 11))
        {
            NewOwner = Sql.NullableString(r, 12) is { } newOwner ? MemberId.Parse(newOwner) : null,
        };
    }

    private static string Target(string requestId, SecurityServerId server) => $"{requestId} {server}";
}
