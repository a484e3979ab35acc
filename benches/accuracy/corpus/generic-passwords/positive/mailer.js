const SMTP_USER = 'robot@acme.example';
const smtpPass = 'Bravo77.uVhX';

module.exports = { host: 'smtp.acme.example', port: 465, secure: true, auth: { user: SMTP_USER, pass: smtpPass } };
