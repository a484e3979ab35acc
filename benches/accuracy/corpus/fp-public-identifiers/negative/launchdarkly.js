import * as LDClient from 'launchdarkly-js-client-sdk';

const client = LDClient.initialize('962c9729008d06d7f850531d', { kind: 'user', key: 'anonymous' });
