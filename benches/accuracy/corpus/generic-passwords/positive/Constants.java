package com.acme.legacy;

public final class Constants {
    public static final String FTP_HOST = "ftp.partner.example";
    public static final String FTP_USER = "acme";
    public static final String FTP_PASSWORD = "Winter86@hncD";
    private Constants() {}
}
