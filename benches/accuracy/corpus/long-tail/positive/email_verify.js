module.exports = {
  emailVerification: {
    provider: "zerobounce",
    zerobounce: { apiKey: "624ac45375f21603f1ad07c72ed8695c" },
    hunter: { apiKey: "5cf1546b105326df5368ce59d88cb36486259dc0" },
    mailboxlayer: { accessKey: "9e0daf3588d74148807a65e39172cf8b" },
    bouncer: { apiKey: "WcTKG3ZDnzmnR9o7faIvfQpmzoxNVPrCU6QGJ5Ut" },
  },
};
