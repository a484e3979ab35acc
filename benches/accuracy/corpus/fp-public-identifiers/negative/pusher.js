const pusher = new Pusher('151f9be737c27ffd2aed', { cluster: 'eu', forceTLS: true });
const channel = pusher.subscribe('orders');
channel.bind('created', (data) => console.log(data));
