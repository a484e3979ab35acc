#!/bin/bash
smbclient //accounting01/invoices -U 'scanner%Map777#yankG' -c 'prompt; recurse; mget *.pdf'
