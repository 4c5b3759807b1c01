using System.Text;

namespace ExchangeGateway.Common.Results;

/// <summary>Stable text forms of <see cref="TrustFailure"/> for logs, metrics and error details.</summary>
public static class TrustFailureExtensions
{
    /// <summary>The snake-case code, e.g. <c>certificate_expired</c>.</summary>
    public static string ToCode(this TrustFailure failure)
    {
        var name = failure.ToString();
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
