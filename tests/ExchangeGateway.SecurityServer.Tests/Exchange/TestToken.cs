using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Signer.Identities;
using ExchangeGateway.Signer.Tokens;

namespace ExchangeGateway.SecurityServer.Tests.Exchange;

/// <summary>The token settings of test servers: a policy-conforming PIN and a low key-derivation cost (the PIN is not what these tests protect).</summary>
public static class TestToken
{
    /// <summary>The PIN of every test server's token.</summary>
    public const string Pin = "Test-Token-Pin-2026";

    /// <summary>Options for <c>init</c>: 1,000 PBKDF2 iterations instead of 600,000, so a login costs microseconds.</summary>
    public static SoftwareTokenOptions Options { get; } = new() { Directory = "set-by-init", Pbkdf2Iterations = 1000 };

    /// <summary>
    /// A server's real keys, read through a second instance of its token (logged in with <see cref="Pin"/>), for
    /// tests that forge envelopes with them. A successful login writes nothing, so the running server is not disturbed.
    /// </summary>
    public static ServerKeys Keys(string dataDirectory) => new(Path.Combine(dataDirectory, "keys"));

    /// <summary>See <see cref="Keys"/>.</summary>
    public sealed class ServerKeys(string directory)
    {
        /// <summary>The server's TLS identity. The caller owns it.</summary>
        public AuthenticationIdentity? LoadAuthenticationIdentity()
        {
            using var token = Open();
            return token.GetAuthenticationIdentity();
        }

        /// <summary>The signing identity of <paramref name="member"/>. The caller owns it.</summary>
        public SigningIdentity? LoadSigningIdentity(MemberId member)
        {
            using var token = Open();
            SigningIdentity? found = null;
            foreach (var identity in token.GetSigningIdentities())
            {
                if (identity.Member == member)
                {
                    found = identity;
                }
                else
                {
                    identity.Dispose();
                }
            }

            return found;
        }

        private SoftwareToken Open()
        {
            var token = new SoftwareToken(Options with { Directory = directory });
            var login = token.Login(Pin);
            Assert.True(login.Success, login.Message);
            return token;
        }
    }
}
