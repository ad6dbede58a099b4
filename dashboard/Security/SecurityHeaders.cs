namespace BudgetPerf.Dashboard.Security;

/// <summary>
/// Response headers that make the browser refuse what the dashboard never does (issue 6): no inline or foreign
/// script (Blazor Server and MudBlazor load theirs from this origin; the circuit's WebSocket is <c>connect-src
/// 'self'</c>), no framing, no MIME sniffing, no referrer leaving the site, no device features. Inline styles stay
/// allowed: MudBlazor writes <c>style</c> attributes. Charts are PNGs from this origin (downloads use blob: / data:).
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string PermissionsPolicy =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), browsing-topics=()";

    /// <summary>
    /// Adds the headers to every response (pages, endpoints, static files, errors), set as the response starts so
    /// that this is the one policy: Blazor's interactive server endpoints append their own <c>frame-ancestors 'self'</c>
    /// CSP, which is replaced here by the stricter whole policy.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
