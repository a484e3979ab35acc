// server-side geocoding fallbacks, see docs/geocoding.md
export const geocoders = {
  mapquest: { key: "tyAm4foYE3erC5iRot0QOQNYuI7GG7E8" },
  opencage: { key: "b98c7fe0bb5f2883b0edfd495fbc4637" },
  positionstack: { accessKey: "2c16b9ec4a3a1cefc592da8a839a3902" },
  geoapify: { apiKey: "89f163eb10face658dca12fad6e2a8c1" },
  tomtom: { key: "0wWRdV2bWk98NjWDGRaB6XFfWQJul0Gd" },
};
