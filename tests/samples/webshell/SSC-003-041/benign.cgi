#!/usr/bin/perl
use CGI;
my $q = CGI->new;
my $n = $q->param('name');
print "Content-type: text/plain\n\n";
print "Hello ", CGI::escapeHTML($n), "\n";
system('/usr/bin/logger', 'visit');
