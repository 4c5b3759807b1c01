using ExchangeGateway.CentralServer.Auth;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.CentralServer.Api;

/// <summary><c>/member-classes</c>, <c>/members</c> and <c>/subsystems</c>.</summary>
internal static class MemberEndpoints
{
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/member-classes", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.MemberClasses()).Select(ApiModels.MemberClass)))
            .Requires(Permission.ReadRegistry, "member-class.list");

        api.MapGet("/member-classes/{code}", (HttpContext context, Registry registry) =>
        {
            var code = PathIdentifier.ReadPart(context, "code", "memberClass");
            if (!code.Success)
            {
                return ApiResults.Problem(code.Failure);
            }

            return registry.Read(r => r.MemberClass(code.Value!)) is { } found
                ? ApiResults.Ok(ApiModels.MemberClass(found))
                : ApiResults.Problem(Errors.Failure.NotFound($"Member class {code.Value} is not registered."));
        }).Requires(Permission.ReadRegistry, "member-class.read");

        api.MapPost("/member-classes", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateMemberClass>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var (code, description) = body.Value!;
            var result = registry.Change(ApiCaller.From(context).Actor, "member-class.create", code, e => e.AddMemberClass(code, description));
            return ApiResults.Changed(context, result, "member-class.create", ApiModels.MemberClass, c => ApiModels.Location("member-classes", c.Code));
        }).Requires(Permission.ManageMemberClasses, "member-class.create");

        api.MapPut("/member-classes/{code}", async (HttpContext context, Registry registry) =>
        {
            var code = PathIdentifier.ReadPart(context, "code", "memberClass");
            var body = await JsonBody.ReadAsync<Describe>(context).ConfigureAwait(false);
            if (!code.Success || !body.Success)
            {
                return ApiResults.Problem(code.Failure ?? body.Failure!);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "member-class.update", code.Value!, e => e.UpdateMemberClass(code.Value!, body.Value!.Description));
            return ApiResults.Changed(context, result, "member-class.update", ApiModels.MemberClass);
        }).Requires(Permission.ManageMemberClasses, "member-class.update");

        api.MapDelete("/member-classes/{code}", (HttpContext context, Registry registry) =>
        {
            var code = PathIdentifier.ReadPart(context, "code", "memberClass");
            if (!code.Success)
            {
                return ApiResults.Problem(code.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "member-class.delete", code.Value!, e => e.DeleteMemberClass(code.Value!));
            return ApiResults.Deleted(context, result, "member-class.delete");
        }).Requires(Permission.ManageMemberClasses, "member-class.delete");

        // Members.
        api.MapGet("/members", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.Members()).Select(ApiModels.Member)))
            .Requires(Permission.ReadRegistry, "member.list");

        api.MapGet("/members/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", MemberId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return registry.Read(r => r.Member(id.Value!)) is { } found
                ? ApiResults.Ok(ApiModels.Member(found))
                : ApiResults.Problem(Errors.Failure.NotFound($"Member {id.Value} is not registered."));
        }).Requires(Permission.ReadRegistry, "member.read");

        api.MapGet("/members/{id}/subsystems", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", MemberId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var (member, subsystems) = registry.Read(r => (r.Member(id.Value!), r.Subsystems(id.Value)));
            return member is null
                ? ApiResults.Problem(Errors.Failure.NotFound($"Member {id.Value} is not registered."))
                : ApiResults.Ok(subsystems.Select(ApiModels.Subsystem));
        }).Requires(Permission.ReadRegistry, "member.subsystems");

        api.MapPost("/members", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateMember>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var id = MemberId.TryParse(body.Value!.Id);
            if (!id.Success)
            {
                return ApiResults.Problem(Errors.Failure.InvalidIdentifier(id.Message));
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "member.create", id.Value.ToString(), e => e.AddMember(id.Value, body.Value.Name));
            return ApiResults.Changed(context, result, "member.create", ApiModels.Member, m => ApiModels.Location("members", m.Id));
        }).Requires(Permission.ManageRegistrations, "member.create");

        api.MapPut("/members/{id}", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", MemberId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<Rename>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "member.update", id.Value!.ToString(), e => e.UpdateMember(id.Value, body.Value!.Name));
            return ApiResults.Changed(context, result, "member.update", ApiModels.Member);
        }).Requires(Permission.ManageRegistrations, "member.update");

        api.MapDelete("/members/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", MemberId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "member.delete", id.Value!.ToString(), e => e.DeleteMember(id.Value));
            return ApiResults.Deleted(context, result, "member.delete");
        }).Requires(Permission.ManageRegistrations, "member.delete");

        // Subsystems.
        api.MapGet("/subsystems", (Registry registry) =>
            ApiResults.Ok(registry.Read(r => r.Subsystems()).Select(ApiModels.Subsystem)))
            .Requires(Permission.ReadRegistry, "subsystem.list");

        api.MapGet("/subsystems/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SubsystemId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            return registry.Read(r => r.Subsystem(id.Value!)) is { } found
                ? ApiResults.Ok(ApiModels.Subsystem(found))
                : ApiResults.Problem(Errors.Failure.NotFound($"Subsystem {id.Value} is not registered."));
        }).Requires(Permission.ReadRegistry, "subsystem.read");

        api.MapPost("/subsystems", async (HttpContext context, Registry registry) =>
        {
            var body = await JsonBody.ReadAsync<CreateSubsystem>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var id = SubsystemId.TryParse(body.Value!.Id);
            if (!id.Success)
            {
                return ApiResults.Problem(Errors.Failure.InvalidIdentifier(id.Message));
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "subsystem.create", id.Value.ToString(), e => e.AddSubsystem(id.Value, body.Value.Name));
            return ApiResults.Changed(context, result, "subsystem.create", ApiModels.Subsystem, s => ApiModels.Location("subsystems", s.Id));
        }).Requires(Permission.ManageRegistrations, "subsystem.create");

        api.MapPut("/subsystems/{id}", async (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SubsystemId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var body = await JsonBody.ReadAsync<RenameOptional>(context).ConfigureAwait(false);
            if (!body.Success)
            {
                return ApiResults.Problem(body.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "subsystem.update", id.Value!.ToString(), e => e.UpdateSubsystem(id.Value, body.Value!.Name));
            return ApiResults.Changed(context, result, "subsystem.update", ApiModels.Subsystem);
        }).Requires(Permission.ManageRegistrations, "subsystem.update");

        api.MapDelete("/subsystems/{id}", (HttpContext context, Registry registry) =>
        {
            var id = PathIdentifier.Read(context, "id", SubsystemId.TryParse);
            if (!id.Success)
            {
                return ApiResults.Problem(id.Failure);
            }

            var result = registry.Change(ApiCaller.From(context).Actor, "subsystem.delete", id.Value!.ToString(), e => e.DeleteSubsystem(id.Value));
            return ApiResults.Deleted(context, result, "subsystem.delete");
        }).Requires(Permission.ManageRegistrations, "subsystem.delete");
    }

    internal sealed record CreateMemberClass(string Code, string Description);

    internal sealed record Describe(string Description);

    internal sealed record CreateMember(string Id, string Name);

    internal sealed record Rename(string Name);

    internal sealed record CreateSubsystem(string Id, string? Name = null);

    internal sealed record RenameOptional(string? Name = null);
}
