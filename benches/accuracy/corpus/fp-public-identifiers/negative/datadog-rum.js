import { datadogRum } from '@datadog/browser-rum';

datadogRum.init({
  applicationId: '4133785e-755c-4ff8-a49a-a0432db03f00',
  clientToken: 'pub3c357d3c3d7d6831997e222252aa3f2a',
  site: 'datadoghq.eu',
  service: 'storefront',
  sessionSampleRate: 20,
});
