const mongoose = require('mongoose');

mongoose.connect('mongodb+srv://app_user:80GfHED4WJS!K^Pa@cluster0.q88lw.mongodb.net/catalog?retryWrites=true&w=majority')
  .then(() => console.log('mongo connected'))
  .catch((err) => console.error(err));
