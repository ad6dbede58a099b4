using System.Xml.Linq;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace BudgetPerf.Dashboard.Security;

/// <summary>
/// ASP.NET Core Data Protection's key ring in the warehouse (<see cref="DataProtectionKeyStore"/>): the sign-in cookie
/// and antiforgery tokens one dashboard instance issues are accepted by every other instance on the same database.
/// Data Protection calls the repository synchronously; it does so rarely (start-up, key roll-over), so the calls block.
/// </summary>
public sealed class WarehouseKeyRepository(WarehouseEngine engine) : IXmlRepository
{
    private readonly DataProtectionKeyStore _store = new(engine);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        _store.AllAsync().GetAwaiter().GetResult().Select(XElement.Parse).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        _store.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();

    /// <summary>
    /// Data Protection over the warehouse's key ring, with one application name for every instance (the default
    /// discriminator is the content root path, which differs between machines).
    /// </summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("budgetperf");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new WarehouseKeyRepository(provider.GetRequiredService<WarehouseEngine>())));
    }
}
