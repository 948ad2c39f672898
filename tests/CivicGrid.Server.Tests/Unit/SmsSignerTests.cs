using System.ComponentModel.DataAnnotations;
using CivicGrid.Server.Features.Sms;

namespace CivicGrid.Server.Tests.Unit;

/// <summary>
/// Known answers for the two providers' request signatures. The expected values were computed independently of this
/// code, by a one-off Python script with the standard library's <c>hmac</c>, <c>hashlib</c> and <c>urllib.parse.quote</c>
/// following the providers' documents; the first Aliyun case is the worked example of Alibaba Cloud's "签名机制" document
/// itself (AccessKey secret <c>testsecret</c>).
/// </summary>
public sealed class SmsSignerTests
{
    [Fact]
    public void Aliyun_DocumentedExample_GivesTheDocumentedSignature()
    {
        KeyValuePair<string, string>[] parameters =
        [
            new("AccessKeyId", "testid"), new("Action", "DescribeRegions"), new("Format", "XML"), new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), new("SignatureVersion", "1.0"), new("Timestamp", "2016-02-23T12:46:24Z"),
            new("Version", "2014-05-26"),
        ];

        Assert.Equal("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
            AliyunSigner.StringToSign("GET", parameters));
        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunSigner.Sign("testsecret", "GET", parameters));
    }

    [Fact]
    public void Aliyun_SendSms_WithChineseAndJson_MatchesTheIndependentComputation()
    {
        var signed = AliyunSigner.SignedParameters("LTAI-test-id", "test-secret*~ +", "SendSms", AliyunSmsSender.Version, "cn-hangzhou",
            [new("PhoneNumbers", "13800138000"), new("SignName", "阳光街道"), new("TemplateCode", "SMS_153055065"), new("TemplateParam", """{"code":"123456"}"""), new("OutId", "cg-0123")],
            new DateTimeOffset(2026, 12, 7, 2, 3, 4, TimeSpan.Zero), "45e25e9b-0a6f-4070-8c85-2956eda1b466");

        Assert.Equal("owXSeFc/N/voakzTUoQLm9ftars=", Assert.Single(signed, p => p.Key == "Signature").Value);
        Assert.Equal("2026-12-07T02:03:04Z", Assert.Single(signed, p => p.Key == "Timestamp").Value);
    }

    [Theory]
    [InlineData(" ", "%20")]
    [InlineData("*", "%2A")]
    [InlineData("~", "~")]
    [InlineData("a+b/c", "a%2Bb%2Fc")]
    [InlineData("街", "%E8%A1%97")]
    public void Aliyun_PercentEncoding_FollowsTheDocument(string raw, string encoded) => Assert.Equal(encoded, AliyunSigner.PercentEncode(raw));

    [Fact]
    public void Tencent_SendSms_MatchesTheIndependentComputation()
    {
        const string body = """{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"阳光街道","TemplateId":"1234567","TemplateParamSet":["123456"],"SessionContext":"cg-0123"}""";

        var authorization = TencentSigner.Authorization("AKIDtest", "test-secret-key", "sms.tencentcloudapi.com", "sms", "SendSms", body, 1765072984);

        Assert.Equal("TC3-HMAC-SHA256 Credential=AKIDtest/2025-12-07/sms/tc3_request, SignedHeaders=content-type;host;x-tc-action, "
            + "Signature=9dec33be475d709b23a9d78cbe7a2f3b8d4119309f2081dc4a29f9c52fd70590", authorization);
    }

    [Fact]
    public void Tencent_NumbersAreSentInE164() => Assert.Equal("+8613800138000", TencentSmsSender.E164("13800138000"));

    [Theory]
    [InlineData("aliyun", "Sms:Aliyun:AccessKeySecret")]
    [InlineData("tencent", "Sms:Tencent:SecretKey")]
    public void ARealProvider_WithoutItsSecretOrTemplates_IsRefusedAtStart_ByName(string provider, string secret)
    {
        var options = new SmsOptions { Provider = provider, SignName = "阳光街道" };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.Contains(secret, StringComparison.Ordinal) && e.Contains("environment variable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Sms:Templates:verification-code:TemplateId", StringComparison.Ordinal));
        Assert.Empty(new SmsOptions().Validate(new ValidationContext(new SmsOptions())));
    }
}
