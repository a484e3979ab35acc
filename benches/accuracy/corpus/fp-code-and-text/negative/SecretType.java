public enum SecretType {
    API_KEY,
    PASSWORD,
    OAUTH_CLIENT_SECRET,
    SSH_PRIVATE_KEY;

    public static SecretType fromHeader(String header) {
        return "X-Api-Key".equalsIgnoreCase(header) ? API_KEY : PASSWORD;
    }
}
