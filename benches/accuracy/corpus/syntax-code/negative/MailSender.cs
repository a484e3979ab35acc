public static SmtpClient Create(IConfiguration config) => new SmtpClient(config["Smtp:Host"], 587)
{
    EnableSsl = true,
    Credentials = new NetworkCredential(config["Smtp:User"], config["Smtp:Password"]),
};
