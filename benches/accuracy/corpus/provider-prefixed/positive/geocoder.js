const axios = require('axios');

const GEOCODER_KEY = 'AIza5Sl5XcWG-lblJVOBEVr99ryBoxbq8Jg0YDC';

async function geocode(address) {
  const { data } = await axios.get('https://maps.googleapis.com/maps/api/geocode/json', {
    params: { address, key: GEOCODER_KEY },
  });
  if (data.status !== 'OK') throw new Error(`geocode failed: ${data.status}`);
  return data.results[0].geometry.location;
}

module.exports = { geocode };
