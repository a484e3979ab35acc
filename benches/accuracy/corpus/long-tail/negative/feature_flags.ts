import { LDClient } from "launchdarkly-node-server-sdk";

export const FLAG_CHECKOUT_V2 = "checkout-v2";
export const FLAG_NEW_PRICING = "new-pricing-page";
export const LAUNCHDARKLY_SDK_KEY = process.env.LAUNCHDARKLY_SDK_KEY ?? "";
export const SPLIT_TRAFFIC_TYPE = "user";

export function isOn(client: LDClient, flag: string, userKey: string) {
  return client.variation(flag, { kind: "user", key: userKey }, false);
}
