using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CapacitySim.Dcc.Host;
using CapacitySim.Dcc.Simulation;
using CapacitySim.Duis.Catalogue;
using CapacitySim.Duis.Reading;
using CapacitySim.Duis.Tests.Support;
using static CapacitySim.Dcc.Tests.Integration.Integration;

namespace CapacitySim.Dcc.Tests.Integration;

/// <summary>The DCC over HTTPS, and with mutual TLS: a client without a certificate is turned away at the handshake.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task The_DCC_answers_DUIS_over_HTTPS_and_mutual_TLS_requires_a_client_certificate()
    {
        using var serverCertificate = SelfSigned("CN=localhost");
        using var clientCertificate = SelfSigned("CN=capacitysim-test-user");
        await using var dcc = new SimulatedDcc(Options(new Uri("http://127.0.0.1:9/unused")));
        await using var server = await DccHttpServer.StartAsync(
            new DccHttpServerOptions { Port = 0, ExposeMetrics = false, ServerCertificate = serverCertificate, RequireClientCertificate = true },
            dcc);
        Assert.Equal("https", server.BaseAddress.Scheme);
        var sample = File.ReadAllBytes(Path.Combine(SharedDuis.SignedSamples, "ECS17b_4.1.1_REQUEST_DUIS-signed.xml"));

        using (var withCertificate = Client(server.BaseAddress, serverCertificate, clientCertificate))
        {
            using var content = new ByteArrayContent(sample);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            using var response = await withCertificate.PostAsync(new Uri(DuisWebServices.GetPath(DuisWebService.NonDevice), UriKind.Relative), content);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.IsSuccessStatusCode, System.Text.Encoding.UTF8.GetString(body));
            Assert.Equal(DuisReadStatus.Ok, DuisHeaderReader.TryRead(body, out var header));
            Assert.Equal(ResponseCodes.Success, header.ResponseCode);
        }

        using var withoutCertificate = Client(server.BaseAddress, serverCertificate, null);
        using var refused = new ByteArrayContent(sample);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => withoutCertificate.PostAsync(new Uri(DuisWebServices.GetPath(DuisWebService.NonDevice), UriKind.Relative), refused));
    }

    private static HttpClient Client(Uri baseAddress, X509Certificate2 trustedServer, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == trustedServer.GetCertHashString();
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Export and re-import so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
