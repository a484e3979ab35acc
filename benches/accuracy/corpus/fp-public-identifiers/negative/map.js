mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNsdGNsMGhuNXdnemcyc3lueXg1eWJsN2EifQ.AF3uqVgW2srWEQQRdp8nI6';
const map = new mapboxgl.Map({
  container: 'map',
  style: 'mapbox://styles/mapbox/streets-v12',
  center: [4.9041, 52.3676],
  zoom: 11,
});
