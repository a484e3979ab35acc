using System.Net.Http;
using System.Net.Http.Headers;

namespace Acme.Integrations
{
    public class ShopifySync
    {
        private const string Shop = "acme-outlet.myshopify.com";
        private const string AccessToken = "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";

        public HttpClient CreateClient()
        {
            var client = new HttpClient { BaseAddress = new System.Uri($"https://{Shop}/admin/api/2024-01/") };
            client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", AccessToken);
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return client;
        }
    }
}
