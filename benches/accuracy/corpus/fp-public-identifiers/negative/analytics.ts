import mixpanel from "mixpanel-browser";
import { AnalyticsBrowser } from "@segment/analytics-next";

mixpanel.init("1045f0f5cb16dc58069f2e5ab1c6daaf", { track_pageview: true });
export const segment = AnalyticsBrowser.load({ writeKey: "23UM6jQef8fQ9vCzDJQgjup0XfVPIl58" });
