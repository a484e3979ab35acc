module.exports = {
  db: {
    password: process.env.DB_PASSWORD,
  },
  jwtSecret: process.env.JWT_SECRET ?? '',
  apiKey: `${process.env.API_KEY}`,
};
