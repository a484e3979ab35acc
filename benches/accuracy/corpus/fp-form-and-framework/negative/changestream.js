const resumeToken = { _data: '824CBB84107EA7ECC402CC803FB8F0C3DB4BD763462B4239A0FA9D0316ABF8551C852456966A5DEFC44D45C77E07614EF8F2D71A86C0E174136B38F5C3' };
const stream = db.collection('orders').watch([], { resumeAfter: resumeToken });
stream.on('change', (event) => console.log(event.operationType, event._id));
