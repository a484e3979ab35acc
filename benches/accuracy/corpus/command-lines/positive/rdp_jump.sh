#!/bin/sh
xfreerdp /v:jump01.corp.example /u:CORP\\ops /p:'Ars890$autuH' /dynamic-resolution +clipboard
