#!/bin/bash
ldapsearch -x -H ldaps://ldap.corp.example -D "cn=admin,dc=corp,dc=example" -w C0mp@nyD0lp9 \
  -b "ou=people,dc=corp,dc=example" "(objectClass=inetOrgPerson)" mail > people.ldif
