public final class Constants {
    public static final String PASSWORD_PARAM = "password";
    public static final String PASSWORD_RESET_PATH = "/account/password/reset";
    public static final int PASSWORD_MAX_AGE_DAYS = 90;
    private Constants() {}
}
