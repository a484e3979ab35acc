import * as Sentry from "@sentry/nextjs";

Sentry.init({
  dsn: "https://529e70eb7b59f57ce051826112ac795a@o606586.ingest.sentry.io/3311599469802531",
  tracesSampleRate: 0.1,
  environment: process.env.NEXT_PUBLIC_VERCEL_ENV,
});
