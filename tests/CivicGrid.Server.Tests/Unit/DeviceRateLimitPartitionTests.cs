using System.Net;
using CivicGrid.Server.Features.Devices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>
/// The device webhook's rate-limit partition: a signed-looking request counts against the device it names from the
/// address it comes from, so forged requests from elsewhere naming a device cannot spend that device's budget.
/// </summary>
public sealed class DeviceRateLimitPartitionTests
{
    [Fact]
    public void SignedRequests_NamingOneDevice_FromTwoAddresses_HaveTheirOwnBudgets()
    {
        var device = Partition("SMOKE-001", "10.1.2.3", signed: true);
        var sameAgain = Partition("SMOKE-001", "10.1.2.3", signed: true);
        var forgedElsewhere = Partition("SMOKE-001", "203.0.113.9", signed: true);
        var otherDeviceSameNat = Partition("SMOKE-002", "10.1.2.3", signed: true);

        Assert.Equal(device.PartitionKey, sameAgain.PartitionKey);
        Assert.NotEqual(device.PartitionKey, forgedElsewhere.PartitionKey);
        Assert.NotEqual(device.PartitionKey, otherDeviceSameNat.PartitionKey);
    }

    [Fact]
    public void UnsignedRequests_CountAgainstTheirAddress_WhateverDeviceTheyName()
    {
        var one = Partition("SMOKE-001", "198.51.100.7", signed: false);
        var other = Partition("SMOKE-002", "198.51.100.7", signed: false);

        Assert.Equal(one.PartitionKey, other.PartitionKey);
        Assert.StartsWith("address:", one.PartitionKey, StringComparison.Ordinal);
    }

    private static System.Threading.RateLimiting.RateLimitPartition<string> Partition(string device, string address, bool signed)
    {
        var services = new ServiceCollection().AddSingleton(Options.Create(new DeviceOptions())).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Headers[DevicesApi.DeviceHeader] = device;
        if (signed)
        {
            context.Request.Headers[DevicesApi.TimestampHeader] = "1796000000";
            context.Request.Headers[DevicesApi.NonceHeader] = "n-1";
            context.Request.Headers[DevicesApi.SignatureHeader] = "sha256=00";
        }

        return DevicesApi.RateLimitPartition(context);
    }
}
