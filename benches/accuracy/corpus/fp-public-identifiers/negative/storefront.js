const client = ShopifyBuy.buildClient({
  domain: 'acme-outlet.myshopify.com',
  storefrontAccessToken: 'd59e22ee546bc694c91aa3b34f8ce592',
});
