const bcrypt = require('bcrypt');

async function register(req, res) {
  const password = req.body.password;
  const passwordRegex = /^(?=.*\d)(?=.*[a-z]).{12,}$/;
  if (!passwordRegex.test(password)) return res.status(400).send('weak password');
  const hash = await bcrypt.hash(password, 12);
  await db.users.insert({ email: req.body.email, password: hash });
}
