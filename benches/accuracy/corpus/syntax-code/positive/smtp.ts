import nodemailer from "nodemailer";

export const transport = nodemailer.createTransport({
  host: "smtp.mailgun.org",
  port: 587,
  auth: {
    user: "postmaster@mg.acme.example",
    pass: "e5fa6807ca2d991d077c0d5cd1e956d1-03440c2b-605875b8",
  },
});
