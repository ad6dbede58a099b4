using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace BudgetPerf.Dashboard.Security;

/// <summary>
/// Sign-in with a cookie, role gates, the sign-in rate limit and the HTTP-level 404 for a project outside the caller's
/// scope. Every endpoint requires a signed-in user unless it says otherwise (the fallback policy).
/// </summary>
public static class SecuritySetup
{
    public const string SignInPath = "/login";

    /// <summary>Paths answered with 401/403 instead of a redirect to the sign-in page (files and data, not pages).</summary>
    private static readonly string[] ApiPaths = ["/export", "/chart", "/report", "/upload/errors"];

    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<SignInOptions>(builder.Configuration.GetSection("BudgetPerf:SignIn"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<UserAccounts>().AddSingleton<SignInService>().AddScoped<CurrentUser>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "budgetperf.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            cookie.Events.OnRedirectToLogin = context => IsApi(context.Request)
                ? Status(context.Response, StatusCodes.Status401Unauthorized, "请先登录。")
                : Redirect(context);
            cookie.Events.OnRedirectToAccessDenied = context =>
                Status(context.Response, StatusCodes.Status403Forbidden, "无权访问：您的角色不能使用此功能。");
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SignInOptions>, TimeProvider>((cookie, rules, clock) =>
            {
                cookie.ExpireTimeSpan = rules.Value.IdleTimeout;
                // sliding expiry renews an active cookie; past the maximum session it is refused all the same
                cookie.Events.OnValidatePrincipal = context =>
                {
                    if (CallerClaims.IsExpired(context.Principal!, rules.Value.MaxSession, clock.GetUtcNow())) context.RejectPrincipal();
                    return Task.CompletedTask;
                };
            });
        services.AddSingleton<IAuthorizationHandler, ExportPermission>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ExportPermission.Policy, policy => policy.RequireAuthenticatedUser().AddRequirements(new ExportRequirement()));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, UserRevalidation>();
        WarehouseKeyRepository.AddTo(services);
        return builder;
    }

    public static WebApplication UseSecurity(this WebApplication app)
    {
        // behind the reverse proxy (deploy/nginx, issue 16) the client's address is X-Forwarded-For, trusted from a proxy on
        // this machine only (the default known proxies: loopback); the sign-in limit counts per real client, not per proxy
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
        });
        app.Use(SignInRateLimitAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(ProjectInScopeAsync);
        app.MapPost("/logout", async (HttpContext context, UserAccounts accounts, IAntiforgery antiforgery) =>
        {
            // the antiforgery middleware only marks a bad token; an endpoint that binds no form must refuse it itself
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
            await accounts.Store.AuditAsync(CallerClaims.NameOf(context.User), "sign-out", null, "ok");
            await context.SignOutAsync();
            return Results.Redirect(SignInPath);
        });
        return app;
    }

    /// <summary>
    /// <c>GET /project/{code}</c> of a project the caller may not see answers 404, exactly as an unknown code does
    /// (the page itself, reached by in-app navigation, says "not found" through the same scoped query).
    /// </summary>
    private static async Task ProjectInScopeAsync(HttpContext context, Func<Task> next)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (HttpMethods.IsGet(context.Request.Method) && segments is ["project", var code] && context.User.Identity?.IsAuthenticated == true)
        {
            var drill = context.RequestServices.GetRequiredService<ProjectDrillQueries>();
            if (await drill.HeaderAsync(context.User.ScopeOf(), Uri.UnescapeDataString(code), context.RequestAborted) is null)
            {
                await Status(context.Response, StatusCodes.Status404NotFound, "没有该项目，或该项目不在您的查看范围内。");
                return;
            }
        }
        await next();
    }

    /// <summary>
    /// The sign-in rate limit: POST /login beyond <see cref="SignInOptions.AttemptsPerMinute"/> from one client address in
    /// one minute answers 429. Counted in the warehouse (<see cref="SignInAttempts"/>), so every instance sees the same count.
    /// </summary>
    private static async Task SignInRateLimitAsync(HttpContext context, Func<Task> next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase))
        {
            var services = context.RequestServices;
            var limit = Math.Max(1, services.GetRequiredService<IOptions<SignInOptions>>().Value.AttemptsPerMinute);
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "?";
            var attempts = await new SignInAttempts(services.GetRequiredService<WarehouseEngine>())
                .CountAsync(client, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, context.RequestAborted);
            if (attempts > limit)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return;
            }
        }
        await next();
    }

    /// <summary>A file or data request, or any non-GET (e.g. <c>POST /upload</c> from a script), as opposed to a page.</summary>
    private static bool IsApi(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) || ApiPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task Status(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync($"""
            <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>BudgetPerf</title></head>
            <body><p>{System.Net.WebUtility.HtmlEncode(message)}</p><p><a href="/">返回总览</a></p></body></html>
            """);
    }
}
