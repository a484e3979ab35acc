#!/bin/bash
ldapsearch -x -H ldaps://ldap.corp.example -D "cn=reader,dc=corp,dc=example" -y /etc/ldap/reader.pw \
  -b "ou=people,dc=corp,dc=example" "(objectClass=inetOrgPerson)" mail > people.ldif
