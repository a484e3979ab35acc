#!/usr/bin/perl
use strict;
use warnings;
use DBI;

my $user = 'sync';
my $pass = 'Com368@welcN';
my $dbh = DBI->connect("DBI:mysql:database=crm;host=db01", $user, $pass, { RaiseError => 1 });
