class ShopifyWebhooksController < ApplicationController
  skip_before_action :verify_authenticity_token

  def orders_create
    shop = request.headers["X-Shopify-Shop-Domain"]
    topic = request.headers["X-Shopify-Topic"]
    hmac = request.headers["X-Shopify-Hmac-Sha256"]
    return head :unauthorized unless ShopifyVerifier.valid?(request.raw_post, hmac)

    OrderImportJob.perform_later(shop: shop, topic: topic, payload: request.raw_post)
    head :ok
  end
end
