using System.Net;
using System.Net.Mail;

public static class MailSender
{
    public static SmtpClient Create() => new SmtpClient("smtp.office365.com", 587)
    {
        EnableSsl = true,
        Credentials = new NetworkCredential("noreply@acme.example", "Orion69$pA0P"),
    };
}
