export const msalConfig = {
  auth: {
    clientId: "f8982eee-8355-4ddb-b904-a1ad89ce0fab",
    authority: "https://login.microsoftonline.com/48568611-314d-4cc0-9c59-8c92ca264a9f",
    redirectUri: "https://portal.acme.example/",
  },
  cache: { cacheLocation: "sessionStorage" },
};
