#ifndef DEVICE_CONFIG_H
#define DEVICE_CONFIG_H

#define WIFI_SSID "AcmeSensors"
#define WIFI_PASS "Coffee&Liverpool-2017"
#define MQTT_HOST "mqtt.acme.example"
#define MQTT_PASSWD "Yd!Zz+HSA4J21MFI"

#endif
