// The define module: one script tag registers <gpu-fit>. Loading it twice is harmless; to use
// another tag name or registry, import GpuFitElement from ./gpu-fit-element.js and call define().
import {GpuFitElement} from './gpu-fit-element.js';

GpuFitElement.define();

export {GpuFitElement};
