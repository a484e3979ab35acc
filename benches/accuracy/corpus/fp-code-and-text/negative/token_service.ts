export const TOKEN_HEADER = "X-Auth-Token";
export const REFRESH_TOKEN_COOKIE = "refresh_token";
export const SECRET_MANAGER_ENDPOINT = "https://secretsmanager.eu-west-1.amazonaws.com";

export function getTokenFromHeader(headers: Headers): string | null {
  const value = headers.get(TOKEN_HEADER);
  return value && value.startsWith("Bearer ") ? value.slice(7) : null;
}
